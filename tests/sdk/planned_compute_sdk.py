"""The community SCP v2 Python SDK (pip install scpv2-sdk) against scpfm: the planned_compute
client's operations (BillingPlan).

Run against any scpfm server:
    SCPFM_ENDPOINT=http://127.0.0.1:8080 SCP_ACCESS_KEY=... SCP_SECRET_KEY=... \
        python3 tests/sdk/planned_compute_sdk.py
The Rust test `api::sdk` runs it against a fresh server on both database engines.
"""
import datetime
import os
import sys

import scpv2
from scpv2.session import Session

ENDPOINT = os.environ["SCPFM_ENDPOINT"]
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
pc = session.client("planned_compute")

services = pc.list_service_type()
check(any(s["service_id"] == "VIRTUAL_SERVER" for s in services["services"]), "service types")
servers = pc.list_server_type(service_id="VIRTUAL_SERVER", current_server_type="s1v2m4", os_type="OPEN_SOURCE")
check(any(t["server_type"] == "s1v4m8" and t["scale_up_yn"] for t in servers["server_types"]), "server types")
os_types = pc.list_os_system(service_id="VIRTUAL_SERVER")
check(any(o["os_type_value"] == "opensource" for o in os_types["os_types"]), "os types")
contracts = pc.list_contract_type(service_id="VIRTUAL_SERVER", server_type="s1v2m4")
check([c["code"] for c in contracts["contract_types"]] == ["01", "03", "05"], "contract types")

created = pc.create_request_planned_computes(
    contract_type="01",
    os_type="opensource",
    server_type="s1v2m4",
    service_id="VIRTUAL_SERVER",
    service_name="Virtual Server",
    tag=[{"key": "team", "value": "sdk"}],
)
contract = created["planned_compute"]
check(contract["state"] == "ACTIVE" and contract["os_type"] == "OPEN_SOURCE", "create")
pid = contract["id"]

got = pc.get_planned_compute(planned_compute_id=pid)
check(got["planned_compute"]["contract_id"] == contract["contract_id"], "get")

listed = pc.list_planned_computes(limit=10, page=1, service_id=["VIRTUAL_SERVER"], state=["ACTIVE"], sort="created_by:asc")
check(listed["total_count"] >= 1 and any(c["id"] == pid for c in listed["planned_computes"]), "list")

changed = pc.change_request_planned_compute(planned_compute_id=pid, action="EXTEND_APPLY", contract_type="03")
check(changed["planned_compute"]["next_contract_type"] == "3-year", "change: extend")

# A window the contract's term overlaps (it starts the day after it was ordered).
today = datetime.date.today()
report = pc.list_planned_compute_covered_resource(
    service_id="VIRTUAL_SERVER", os_type="OPEN_SOURCE", server_type="s1v2m4",
    start_date=today.isoformat(), end_date=(today + datetime.timedelta(days=30)).isoformat(),
)
check(report["order_count"] >= 1 and "total" in report["amount"], "covered resources")

fee = pc.get_cancellation_fee(planned_compute_id=[pid], region="kr-west1")
check(fee["currency"]["code"] == "KRW" and "bill_year_month" in fee, "cancellation fee")

cancelled = pc.change_request_planned_compute(planned_compute_id=pid, action="CONTRACT_CANCEL")
check(cancelled["planned_compute"]["state"] == "TERMINATED", "change: cancel")

try:
    pc.change_request_planned_compute(planned_compute_id=pid, action="EXTEND_CANCEL")
    check(False, "a terminated contract refuses changes")
except scpv2.ClientError as error:
    check(error.response.get("_status") == 409, "a refused action is a 409")

print("scpv2-sdk planned_compute: service, server, os and contract types, create, get, list, covered resources, change, cancellation fee succeeded")
