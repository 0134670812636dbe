"""The CRM relational store: models, migrations, engines, loading and reads."""
