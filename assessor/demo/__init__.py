"""演示数据 / demo data: `flask --app assessor demo` fills an empty database (load.py) with a
province's worth of organisations and rounds (data.py) and a past round taken to the end
(published.py)."""
