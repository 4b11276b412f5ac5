"""The hand-off to the member state: consent, the state's view of its invitees, the application's progress, misrepresentation."""
