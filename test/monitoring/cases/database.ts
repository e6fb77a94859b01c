// Cases of the database alerts (database.rules.yml).
import { JOB } from "../support/inputs";
import type { AlertCase, ExpectedAlert } from "../support/rule-tests";
import { counter, gauge, histogram, series, type InputSeries } from "../support/series";

const A = { job: JOB, instance: "a:9464" };
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;
const DB_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const op = (operation: string) => ({ ...A, operation });

function pool(total: number, idle: number, waiting: string): InputSeries[] {
  return [
    gauge("db_pool_connections", { ...A, state: "total" }, total),
    gauge("db_pool_connections", { ...A, state: "idle" }, idle),
    series("db_pool_connections", { ...A, state: "waiting" }, waiting),
    gauge("db_pool_max_connections", A, 10),
  ];
}

const warning = (labels: Record<string, string>, description: string): ExpectedAlert => ({
  labels: { severity: "warning", ...labels },
  description,
});

/** 5 GiB growing by `mibPerMinute` for 70 minutes. */
const growing = (mibPerMinute: number) => series("db_size_bytes", A, `${5 * GIB}+${mibPerMinute * MIB}x70`);

export const databaseCases: AlertCase[] = [
  {
    name: "every connection checked out",
    alert: "DatabasePoolSaturated",
    evalTime: "10m",
    series: pool(10, 0, "3x20"),
    expect: [warning(A, "a:9464 has 100% of its database pool connections in use (threshold 90%).")],
  },
  {
    name: "half the pool in use",
    alert: "DatabasePoolSaturated",
    evalTime: "10m",
    series: pool(10, 5, "0x20"),
    expect: [],
  },
  {
    name: "3 queries keep waiting",
    alert: "DatabasePoolWaitingClients",
    evalTime: "10m",
    series: pool(10, 0, "3x20"),
    expect: [warning(A, "3 queries on a:9464 are waiting for a free database connection.")],
  },
  {
    name: "a brief queue",
    alert: "DatabasePoolWaitingClients",
    evalTime: "10m",
    series: pool(10, 0, "3 3 0x20"),
    expect: [],
  },
  {
    name: "10% of project_list queries take up to 1 s",
    alert: "DatabaseSlowQueries",
    evalTime: "10m",
    series: [
      ...histogram("db_query_duration_seconds", op("project_list"), DB_BUCKETS, { 0.01: 90, 1: 10 }),
      ...histogram("db_query_duration_seconds", op("project_get"), DB_BUCKETS, { 0.01: 100 }),
    ],
    expect: [
      warning(
        { job: JOB, operation: "project_list" },
        "The p99 time of project_list queries of showcase-api is 950ms over the last 5m (threshold 0.5s).",
      ),
    ],
  },
  {
    name: "every query under 10 ms",
    alert: "DatabaseSlowQueries",
    evalTime: "10m",
    series: histogram("db_query_duration_seconds", op("project_get"), DB_BUCKETS, { 0.01: 100 }),
    expect: [],
  },
  {
    name: "10% of project_create queries fail",
    alert: "DatabaseQueryErrors",
    evalTime: "10m",
    series: [
      counter("db_query_errors_total", op("project_create"), 10),
      counter("db_query_duration_seconds_count", op("project_create"), 100),
      counter("db_query_duration_seconds_count", op("project_list"), 100),
    ],
    expect: [
      warning(
        { job: JOB, operation: "project_create" },
        "10% of project_create queries of showcase-api failed over the last 5m (threshold 5%).",
      ),
    ],
  },
  {
    name: "1% of queries fail",
    alert: "DatabaseQueryErrors",
    evalTime: "10m",
    series: [
      counter("db_query_errors_total", op("project_create"), 1),
      counter("db_query_duration_seconds_count", op("project_create"), 100),
    ],
    expect: [],
  },
  {
    name: "12 GiB",
    alert: "DatabaseSizeHigh",
    evalTime: "10m",
    series: [
      gauge("db_size_bytes", A, 12 * GIB),
      gauge("db_size_bytes", { ...A, instance: "b:9464" }, 12 * GIB),
    ],
    expect: [warning({ job: JOB }, "The database of showcase-api holds 12GiB (threshold 10GiB).")],
  },
  {
    name: "1 GiB",
    alert: "DatabaseSizeHigh",
    evalTime: "10m",
    series: [gauge("db_size_bytes", A, GIB)],
    expect: [],
  },
  {
    name: "growing 1 MiB a minute from 5 GiB",
    alert: "DatabaseSizeGrowingFast",
    evalTime: "1h",
    series: [growing(1)],
    expect: [
      warning(
        { job: JOB },
        "At the growth of the last 6h, the database of showcase-api reaches 10.68GiB within 4 days (threshold 10GiB).",
      ),
    ],
  },
  {
    name: "growing 0.5 MiB a minute from 5 GiB",
    alert: "DatabaseSizeGrowingFast",
    evalTime: "1h",
    series: [growing(0.5)],
    expect: [],
  },
  {
    name: "already above the threshold (DatabaseSizeHigh's job)",
    alert: "DatabaseSizeGrowingFast",
    evalTime: "1h",
    series: [series("db_size_bytes", A, `${11 * GIB}+${MIB}x70`)],
    expect: [],
  },
  {
    name: "statistics unreadable",
    alert: "DatabaseStatsUnavailable",
    evalTime: "10m",
    series: [gauge("db_stats_up", A, 0)],
    expect: [
      warning(
        A,
        "a:9464 has failed to read pg_stat_activity and pg_database_size for 5m: database size and connection figures are missing.",
      ),
    ],
  },
  {
    name: "statistics readable again",
    alert: "DatabaseStatsUnavailable",
    evalTime: "10m",
    series: [series("db_stats_up", A, "0x2 1x20")],
    expect: [],
  },
];
