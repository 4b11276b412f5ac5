"""The employers' pages (`/employer/...`): register an organisation, verify the address, accept a
colleague's invitation, the organisation's home with its vacancies, the vacancy editor, colleagues.

Two blueprints (`home`: the organisation and its people; `vacancy_editor`: its vacancies) over the
service functions the API calls (`app.employers`); `employer_page` lets in only a signed-in
person acting for an employer.
"""
