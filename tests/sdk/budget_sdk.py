"""The community SCP v2 Python SDK (pip install scpv2-sdk) against scpfm: all five budget
operations, proving signature compatibility (the SDK signs the query decoded).

Run against any scpfm server:
    SCPFM_ENDPOINT=http://127.0.0.1:8080 SCP_ACCESS_KEY=... SCP_SECRET_KEY=... \
        python3 tests/sdk/budget_sdk.py
The Rust test `api::sdk` runs it against a fresh server on both database engines.
"""
import os
import sys
import uuid

import scpv2
from scpv2.session import Session

ENDPOINT = os.environ["SCPFM_ENDPOINT"]
# The SDK builds https://{service}.{region}.{env}.samsungsdscloud.com; point every service
# at the scpfm server instead, as a proxy or /etc/hosts entry would.
Session.endpoint_for = lambda self, api_name: ENDPOINT


def check(condition, message):
    if not condition:
        print(f"FAILED: {message}", file=sys.stderr)
        sys.exit(1)


session = scpv2.Session(
    access_key=os.environ["SCP_ACCESS_KEY"],
    secret_key=os.environ["SCP_SECRET_KEY"],
    language="en-US",
)
budget = session.client("budget")
name = f"sdk budget {uuid.uuid4().hex[:8]}"

created = budget.create_account_budget(
    amount=1000000,
    name=name,
    unit="MONTHLY",
    start_month="2026-01",
    notifications={
        "is_use_notification": True,
        "notification_send_period": "FIRST",
        "receivers": ["test_user1@test.com"],
        "thresholds": [80, 100],
    },
    prevention={"is_use_prevention": True, "receivers": ["test_user1@test.com"], "threshold": 90},
)
check(created["ResponseMetadata"]["HTTPStatusCode"] == 201, "create answers 201")
budget_id = created["budget"]["id"]
check(created["budget"]["name"] == name, "create echoes the name")

shown = budget.show_account_budget(budget_id=budget_id)
check(shown["ResponseMetadata"]["HTTPStatusCode"] == 201, "show answers 201")
check(shown["notifications"]["thresholds"] == [80, 100], "show returns the thresholds")

listed = budget.list_account_budgets(size=10, page=0, sort="name:asc", search_name=name[:12])
check(listed["count"] >= 1, "list finds the budget by a name fragment with a space")
check(any(b["id"] == budget_id for b in listed["budgets"]), "list returns the budget")

updated = budget.set_account_budget(
    budget_id=budget_id, amount=2500000, name=name[:16] + " v2", unit="OVERALL", start_month="2026-02"
)
check(updated["budget"]["amount"] == 2500000, "set changes the amount")
check(updated["prevention"]["threshold"] == 90, "set keeps settings it leaves out")

deleted = budget.delete_account_budget(budget_id=budget_id)
check(deleted["ResponseMetadata"]["HTTPStatusCode"] == 204, "delete answers 204")

try:
    budget.show_account_budget(budget_id=budget_id)
    check(False, "a deleted budget is gone")
except scpv2.ClientError as error:
    check(error.response.get("_status") == 404, "a deleted budget is a 404")
    check(error.response["errors"][0]["code"] == "NOT_FOUND", "the 404 carries the error envelope")

print("scpv2-sdk: create, show, list, set and delete succeeded")
