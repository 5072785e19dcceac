"""One view per room of the app: dashboard, risks, milestones, engagement, actions, papers."""
