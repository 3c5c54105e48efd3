"""One run of the orders pipeline split into 4 shards with Airflow's dynamic task mapping, then one commit.

Every mapped task runs one shard (its index in SHARD); all of them and the commit share the DAG run's id, which
`etl` makes safe for paths (the ':' and '+' of Airflow run ids become '-'). The commit runs once every shard has
succeeded; a shard that failed for good keeps it from running, and `etl commit` itself refuses (exit 5, naming the
shard) if a shard's output is missing. Repeating the commit task is harmless: a committed run is a no-op (exit 0).
"""

import pendulum
from airflow.decorators import dag
from airflow.operators.bash import BashOperator

SHARDS = 4
SPEC = "/opt/etl/pipelines/orders-http.json"


@dag(
    schedule="@daily",
    start_date=pendulum.datetime(2026, 12, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,
    tags=["etl", "sharded"],
)
def orders_http_sharded():
    shards = BashOperator.partial(
        task_id="shard",
        bash_command=f'etl run {SPEC} --shards {SHARDS} --shard "$SHARD" --run-id "{{{{ run_id }}}}" --progress plain',
        append_env=True,
        retries=2,
    ).expand(env=[{"SHARD": str(i)} for i in range(SHARDS)])

    commit = BashOperator(
        task_id="commit",
        bash_command=f'etl commit {SPEC} --shards {SHARDS} --run-id "{{{{ run_id }}}}"',
        retries=3,
    )

    shards >> commit


orders_http_sharded()
