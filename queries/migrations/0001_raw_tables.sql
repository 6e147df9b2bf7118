-- Raw tables: what the collectors fetched, one row set per run. Every row carries run_id and
-- cluster so several runs and several clusters share one database. Units are in the column
-- names (cores, bytes, usd) and converted once, by the collectors.

CREATE TABLE runs (
  run_id        VARCHAR PRIMARY KEY,
  command       VARCHAR NOT NULL,
  status        VARCHAR NOT NULL,          -- ok | partial
  started_at    TIMESTAMP NOT NULL,
  finished_at   TIMESTAMP NOT NULL,
  window_start  TIMESTAMP NOT NULL,        -- the history window the run covers, [start, end)
  window_end    TIMESTAMP NOT NULL,
  clusters      VARCHAR NOT NULL,          -- JSON array of {name, region}
  tool_version  VARCHAR NOT NULL
);

CREATE TABLE run_sources (
  run_id        VARCHAR NOT NULL,
  cluster       VARCHAR NOT NULL,
  source        VARCHAR NOT NULL,          -- kubernetes | prometheus | cost-explorer | pricing | spot-history
  status        VARCHAR NOT NULL,          -- ok | partial | missing
  origin        VARCHAR NOT NULL,          -- live | bundle | snapshot
  rows          BIGINT NOT NULL,
  error         VARCHAR,
  detail        VARCHAR                    -- JSON: coverage, paid requests, …
);

CREATE TABLE k8s_nodes (
  run_id                    VARCHAR NOT NULL,
  cluster                   VARCHAR NOT NULL,
  name                      VARCHAR NOT NULL,
  instance_type             VARCHAR,
  region                    VARCHAR,
  zone                      VARCHAR,
  arch                      VARCHAR,
  os                        VARCHAR,
  capacity_type             VARCHAR NOT NULL,   -- on-demand | spot | reserved | fargate | unknown
  compute_type              VARCHAR NOT NULL,   -- ec2 | fargate | auto | hybrid
  nodegroup                 VARCHAR,
  nodepool                  VARCHAR,
  cpu_capacity_cores        DOUBLE NOT NULL,
  memory_capacity_bytes     BIGINT NOT NULL,
  pods_capacity             INTEGER,
  cpu_allocatable_cores     DOUBLE NOT NULL,
  memory_allocatable_bytes  BIGINT NOT NULL,
  pods_allocatable          INTEGER,
  taints                    VARCHAR NOT NULL,   -- JSON array of {key, value, effect}
  labels                    VARCHAR NOT NULL,   -- JSON object
  created_at                TIMESTAMP NOT NULL,
  provider_id               VARCHAR,
  instance_id               VARCHAR
);

CREATE TABLE k8s_pods (
  run_id                     VARCHAR NOT NULL,
  cluster                    VARCHAR NOT NULL,
  namespace                  VARCHAR NOT NULL,
  name                       VARCHAR NOT NULL,
  uid                        VARCHAR,
  phase                      VARCHAR NOT NULL,
  node_name                  VARCHAR,
  qos_class                  VARCHAR,
  priority_class             VARCHAR,
  owner_kind                 VARCHAR,
  owner_name                 VARCHAR,
  workload_kind              VARCHAR NOT NULL,  -- Deployment | StatefulSet | DaemonSet | CronJob | Job | Rollout | Pod
  workload_name              VARCHAR NOT NULL,
  created_at                 TIMESTAMP NOT NULL,
  has_empty_dir              BOOLEAN NOT NULL,
  has_host_path              BOOLEAN NOT NULL,
  pvc_names                  VARCHAR NOT NULL,  -- JSON array
  termination_grace_seconds  INTEGER,
  capacity_provisioned       VARCHAR,           -- Fargate's CapacityProvisioned annotation, verbatim
  fargate_profile            VARCHAR,
  do_not_disrupt             BOOLEAN NOT NULL,
  safe_to_evict              VARCHAR,
  labels                     VARCHAR NOT NULL   -- JSON object
);

CREATE TABLE k8s_containers (
  run_id                    VARCHAR NOT NULL,
  cluster                   VARCHAR NOT NULL,
  namespace                 VARCHAR NOT NULL,
  pod                       VARCHAR NOT NULL,
  container                 VARCHAR NOT NULL,
  container_type            VARCHAR NOT NULL,   -- init | sidecar | regular
  image                     VARCHAR,
  cpu_request_cores         DOUBLE,
  cpu_limit_cores           DOUBLE,
  memory_request_bytes      BIGINT,
  memory_limit_bytes        BIGINT,
  ephemeral_request_bytes   BIGINT,
  ephemeral_limit_bytes     BIGINT,
  restart_count             INTEGER NOT NULL,
  last_termination_reason   VARCHAR,
  last_termination_at       TIMESTAMP
);

CREATE TABLE k8s_workloads (
  run_id               VARCHAR NOT NULL,
  cluster              VARCHAR NOT NULL,
  namespace            VARCHAR NOT NULL,
  kind                 VARCHAR NOT NULL,
  name                 VARCHAR NOT NULL,
  replicas_desired     INTEGER,
  replicas_ready       INTEGER,
  selector             VARCHAR,               -- JSON matchLabels
  hpa_name             VARCHAR,
  hpa_min_replicas     INTEGER,
  hpa_max_replicas     INTEGER,
  hpa_metrics          VARCHAR,               -- JSON array of {type, resource, target}
  pdb_name             VARCHAR,
  pdb_min_available    INTEGER,               -- resolved to pods
  pdb_max_unavailable  INTEGER,               -- resolved to pods
  strategy             VARCHAR,               -- JSON: {type, maxSurge, maxUnavailable}
  pvc_templates        VARCHAR NOT NULL,      -- JSON array of {name, storageClass, bytes}
  labels               VARCHAR NOT NULL,
  created_at           TIMESTAMP
);

CREATE TABLE prom_usage_hourly (
  run_id                VARCHAR NOT NULL,
  cluster               VARCHAR NOT NULL,
  hour                  TIMESTAMP NOT NULL,   -- start of the hour, UTC
  namespace             VARCHAR NOT NULL,
  pod                   VARCHAR NOT NULL,
  container             VARCHAR NOT NULL,
  node                  VARCHAR,
  workload_kind         VARCHAR NOT NULL,
  workload_name         VARCHAR NOT NULL,
  cpu_avg_cores         DOUBLE,
  cpu_p95_cores         DOUBLE,
  cpu_max_cores         DOUBLE,
  memory_avg_bytes      DOUBLE,
  memory_max_bytes      BIGINT,
  cpu_request_cores     DOUBLE,
  memory_request_bytes  BIGINT,
  cpu_throttled_ratio   DOUBLE,
  oom_kills             INTEGER NOT NULL,
  restarts              INTEGER NOT NULL,
  samples               INTEGER NOT NULL      -- points behind the hour's aggregates
);

CREATE TABLE aws_costs (
  run_id        VARCHAR NOT NULL,
  cluster       VARCHAR NOT NULL,
  date          DATE NOT NULL,
  group_by      VARCHAR NOT NULL,             -- e.g. SERVICE,USAGE_TYPE
  key1          VARCHAR NOT NULL,
  key2          VARCHAR,
  metric        VARCHAR NOT NULL,             -- UnblendedCost | AmortizedCost | NetAmortizedCost | UsageQuantity
  amount        DECIMAL(38, 10) NOT NULL,
  unit          VARCHAR NOT NULL,
  estimated     BOOLEAN NOT NULL,
  tag_filter    VARCHAR,                      -- the cost allocation tag the request filtered on, key=value
  source        VARCHAR NOT NULL              -- cost-explorer
);

CREATE TABLE aws_prices (
  run_id          VARCHAR NOT NULL,
  cluster         VARCHAR NOT NULL,
  region          VARCHAR NOT NULL,
  product         VARCHAR NOT NULL,           -- ec2 | fargate | eks | ebs
  instance_type   VARCHAR,
  usage_type      VARCHAR,
  unit            VARCHAR NOT NULL,           -- Hrs | vCPU-Hours | GB-Hours | GB-Mo
  price_usd       DECIMAL(20, 10) NOT NULL,
  source          VARCHAR NOT NULL,           -- pricing-api | snapshot
  as_of           VARCHAR,                    -- the price's own date (effective date or snapshot date)
  fetched_at      TIMESTAMP NOT NULL
);

CREATE TABLE aws_spot_prices (
  run_id               VARCHAR NOT NULL,
  cluster              VARCHAR NOT NULL,
  region               VARCHAR NOT NULL,
  zone                 VARCHAR NOT NULL,
  instance_type        VARCHAR NOT NULL,
  product_description  VARCHAR NOT NULL,
  price_usd            DECIMAL(20, 10) NOT NULL,
  valid_from           TIMESTAMP NOT NULL,   -- the price change's timestamp
  source               VARCHAR NOT NULL      -- spot-history
);
