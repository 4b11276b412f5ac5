"""The candidate's pages: an account, the expression of interest and its score, invitations, data rights.

Three blueprints over the services the API uses (`account`, `profile`, `invitations`); a page
signs in with a browser session (`app.web.browser_session`) that holds a bearer token.
"""
