"""A province-sized database: 10,000 applications with revisions, reviews, audit events, published
lists and certificates, written in bulk into the database at --url.

    .venv/bin/python benchmarks/province --url sqlite:///instance/bench/province.sqlite3 --replace
    .venv/bin/python benchmarks/province --url postgresql+psycopg://postgres@127.0.0.1:5432/bench

(`.venv/bin/python -m benchmarks.province …` from the project's folder does the same.)

The database is emptied and migrated first (`flask db upgrade`); one that already holds tables is
only touched with --replace. Then, with the same seed, always the same province:

- staff (an administrator, two province officers, one officer per 市州, 40 experts with profiles
  and declared relations) and ~4,500 organisations across Guizhou's cities, one login each;
- eight rounds (factories and parks, data years 2021–2024): the three past years went through
  review, publicity and publication with certificates (a few removed and revoked); the current
  round is open, with applications in every state up to decisions;
- submissions varied from the demo's enterprises and parks, scored by the engine in one batch
  per round (the stored results are the engine's, as submitting would store them); reviews on
  the anchored scales, decisions on the experts' aggregate as review.services.summary makes it;
- the audit events each of those steps writes, in time order, hash-chained as audit.record
  chains them (checked at the end like `flask audit verify`), and the notifications they send.

Every login shares the password in shape.PASSWORD; the logins the load run uses are in its output.

The modules, in the order a run uses them: shape (sizes, places, texts, the clock), records (the
rows in memory), people, rounds (who applies, scored by the engine), submissions, applications
(each one's moves), review, publication, writing (into the database), cli (the command).
"""
