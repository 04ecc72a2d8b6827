"""The world's relations: outside sources (twin-town lists, Wikidata, city networks, joint
statements) imported into source graphs and reconciled into one entity per real place."""
