"""Production papers (job card, route card, route job, picking list) rendered as PDF."""
