"""resolve: mentions -> entities, inside one document and across the corpus.

One document (document.group_mentions): spelling, declension and abbreviation of names; words (a
mention's name word by word); group (an entity as it grows); rules (what joins it); index (the
groups a mention may join); naming (what entities and mentions are called). aliases: the names of
one place or body. corpus: entities across documents.
"""
