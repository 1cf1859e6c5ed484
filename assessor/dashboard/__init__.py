"""The home page of each role: what needs doing, the latest rounds, notices (views.py), read
through queries.py."""
