"""The leadflow web app: public form endpoints now, the steward's review pages later."""
