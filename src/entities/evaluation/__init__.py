"""Scoring against gold: gold records and their readers (factru, brat, conll), NER scores, systems, `evaluate`."""
