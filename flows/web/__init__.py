"""The leadflow web app: the public form endpoints, the steward's review pages and the reports."""
