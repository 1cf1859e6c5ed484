"""The load run's baseline: Flask's hello world, served by gunicorn with the app's settings.

    .venv/bin/gunicorn --chdir benchmarks hello:app
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
