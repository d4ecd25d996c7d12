"""Reports people sign and take to meetings: the audit record and period report as PDFs,
and spreadsheets of audits, actions and selections."""
