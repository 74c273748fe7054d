"""Case lifecycle: workflows, steps and their records, service, execution, closure, archiving, documents (REC-1..16)."""
