"""Daily incremental lifecycle run on Airflow: spark-submit of the job jar, run date = logical date + 1.

Needs the apache-airflow-providers-apache-spark package and a `spark_default` connection pointing at
the cluster. A rerun of a date (clear the task) replaces that date's results: the job is idempotent.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

JAR = "/opt/lifecycle/lifecycle.jar"           # jobs/target/lifecycle.jar, deployed
CONF = "/opt/lifecycle/conf/cluster.conf"      # shipped to the driver with --files

with DAG(
    dag_id="lifecycle_daily",
    start_date=datetime(2026, 1, 1),
    schedule="0 3 * * *",          # after the day's events have landed
    catchup=False,
    max_active_runs=1,             # one run per output root (the job also holds a run lock)
    default_args={
        # Exit codes 4 (write conflict) and 5 (input not there yet) are worth a retry; 2 and 3 are not,
        # but Airflow cannot tell codes apart, so retries stay few and spaced.
        "retries": 2,
        "retry_delay": timedelta(minutes=20),
    },
) as dag:
    SparkSubmitOperator(
        task_id="lifecycle_run",
        conn_id="spark_default",
        application=JAR,
        java_class="io.lifecycle.cli.Main",
        files=CONF,
        # The run date is an as-of date: a run sees events before that day. The DAG run with logical
        # date {{ ds }} covers the interval [ds, ds + 1 day), so it runs as of ds + 1 day.
        # Incremental: the interval's landing folder holds the day's new events; only those are merged
        # and only the customers they touch are re-sessionized. A backfill is a full run (no --mode).
        application_args=["run", "--conf", "cluster.conf", "--mode", "incremental",
                          "--run-date", "{{ macros.ds_add(ds, 1) }}",
                          "--input", "s3a://lifecycle-landing/events/{{ ds }}/"],
        conf={"spark.sql.adaptive.enabled": "true"},
        driver_memory="4g",
        executor_memory="8g",
    )
