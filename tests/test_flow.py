"""The nightly flow as Prefect runs it (a real temporary Prefect server): stages, state, artifact."""

from __future__ import annotations

import anyio
import pytest
from conftest import AS_OF

pytestmark = pytest.mark.slow


def test_the_nightly_flow_loads_the_demo_inbox_and_reports_what_it_did(prefect_harness, demo_home) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import TaskRunSort

    from flows.nightly import nightly

    state = nightly(home=str(demo_home.root), as_of=AS_OF, return_state=True)
    assert state.is_completed()
    summary = state.result()
    assert summary.files_loaded == 8  # the demo corpus: three organisations' exports
    assert summary.rows_read == summary.rows_loaded + summary.rows_quarantined + summary.rows_duplicate > 300
    assert (demo_home.reports / "results.xlsx").exists() and (demo_home.reports / "by_wave.csv").exists()

    async def what_prefect_stored():  # type: ignore[no-untyped-def]
        async with get_client() as client:
            flow_run = await client.read_flow_run(state.state_details.flow_run_id)
            task_runs = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run.id])),
                sort=TaskRunSort.EXPECTED_START_TIME_ASC,
                limit=200,
            )
            # The client's read_artifacts sends null filters that this server version refuses: ask directly.
            found = await client.request(
                "POST",
                "/artifacts/filter",
                json={
                    "artifacts": {"key": {"any_": ["followup-run-summary"]}},
                    "limit": 10,
                    "offset": 0,
                    "sort": "CREATED_DESC",
                },
            )
            return flow_run, task_runs, [a for a in found.json() if a["flow_run_id"] == str(flow_run.id)]

    flow_run, task_runs, artifacts = anyio.run(what_prefect_stored)
    # Only a path, a date and a switch are stored as parameters: no rows, no personal data.
    assert set(flow_run.parameters) == {"home", "as_of", "retry_quarantine"}
    names = {t.name.rsplit("-", 1)[0] for t in task_runs}
    assert {"discover", "read", "validate", "anonymise", "load", "results"} <= names
    assert len(artifacts) == 1 and f"| {summary.rows_read} |" in artifacts[0]["data"]


def test_a_run_with_a_wrong_key_fails_without_touching_the_data(prefect_harness, demo_home) -> None:
    from flows.nightly import nightly
    from followup.warehouse import Warehouse, WarehouseError

    nightly(home=str(demo_home.root), as_of=AS_OF)
    demo_home.secret_key.write_text("ab" * 32 + "\n", encoding="ascii")
    with pytest.raises(WarehouseError, match="does not match"):
        nightly(home=str(demo_home.root), as_of=AS_OF)
    with Warehouse(demo_home.warehouse, read_only=True) as wh:
        assert wh.con.execute("SELECT count(*) FROM runs").fetchone() == (1,)
