"""What both consoles share: sessions, CSRF, guards, pager, error pages; templates/ and static/."""
