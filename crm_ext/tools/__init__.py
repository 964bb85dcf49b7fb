# Code that is not a model: the clock, operations in progress on a cursor,
# access checks, prepared statements, SQL and the working-time engine; the
# churn statistics (bgnbd, gamma_gamma, model_card, max_likelihood: pure
# numpy/scipy, no Odoo import); the history import's CSV reader; what the
# installed wkhtmltopdf can do (wkhtmltopdf.py); the customer statement's SQL
# and figures (customer_statement.py); the framework of the xlsx workbooks
# (workbook.py, pure xlsxwriter) and their SQL (workbook_*_queries.py).
