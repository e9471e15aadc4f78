"""The demo: its data and ``credence demo``, the top layer, which may import every other app.

An app's own demo data (``<app>/demo.py``: ``billing.demo.fund_for_demo``,
``recognition.demo`` ...) stays in that app as long as it writes through that app's services
and imports nothing from a layer above the app (docs/decisions/0007); ``demo/data.py``
composes them into the demo's histories, with the steps that cross several apps.
"""
