import sqlite3
from datetime import datetime


def get_orders(conn: sqlite3.Connection, customer: str, since: str):
    cur = conn.cursor()
    cur.execute("SELECT id, total, created_at FROM orders WHERE customer = '%s' AND created_at > '%s'" % (customer, since))
    rows = cur.fetchall()
    result = []
    for r in rows:
        items = conn.execute("SELECT sku, qty FROM order_items WHERE order_id = ?", (r[0],)).fetchall()
        result.append({"id": r[0], "total": r[1], "created": datetime.fromisoformat(r[2]), "items": items})
    return result


def total_revenue(conn, since):
    return sum(o["total"] for o in get_orders(conn, "%", since))
