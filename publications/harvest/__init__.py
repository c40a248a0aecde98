"""Harvesting member institutes' own repositories over OAI-PMH (``services``), with the
mapping of their oai_dc records (``mapping``) and checked HTTP (``network``)."""
