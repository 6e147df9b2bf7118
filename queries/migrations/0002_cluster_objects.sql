-- The other objects the analyses price or flag: namespaces, persistent volume claims and
-- volumes, Services with their endpoint counts, and Karpenter NodePools and NodeClaims.

CREATE TABLE k8s_namespaces (
  run_id      VARCHAR NOT NULL,
  cluster     VARCHAR NOT NULL,
  name        VARCHAR NOT NULL,
  phase       VARCHAR,
  labels      VARCHAR NOT NULL,
  created_at  TIMESTAMP
);

CREATE TABLE k8s_pvcs (
  run_id           VARCHAR NOT NULL,
  cluster          VARCHAR NOT NULL,
  namespace        VARCHAR NOT NULL,
  name             VARCHAR NOT NULL,
  storage_class    VARCHAR,
  phase            VARCHAR,
  requested_bytes  BIGINT,
  capacity_bytes   BIGINT,
  volume_name      VARCHAR,
  access_modes     VARCHAR NOT NULL,         -- JSON array
  labels           VARCHAR NOT NULL,
  created_at       TIMESTAMP
);

CREATE TABLE k8s_pvs (
  run_id           VARCHAR NOT NULL,
  cluster          VARCHAR NOT NULL,
  name             VARCHAR NOT NULL,
  storage_class    VARCHAR,
  phase            VARCHAR,
  capacity_bytes   BIGINT,
  claim_namespace  VARCHAR,
  claim_name       VARCHAR,
  reclaim_policy   VARCHAR,
  csi_driver       VARCHAR,
  volume_handle    VARCHAR,                  -- e.g. the EBS volume id
  zone             VARCHAR,
  created_at       TIMESTAMP
);

CREATE TABLE k8s_services (
  run_id               VARCHAR NOT NULL,
  cluster              VARCHAR NOT NULL,
  namespace            VARCHAR NOT NULL,
  name                 VARCHAR NOT NULL,
  type                 VARCHAR NOT NULL,     -- ClusterIP | NodePort | LoadBalancer | ExternalName
  selector             VARCHAR,              -- JSON object
  ready_endpoints      INTEGER,              -- null when no endpoint data was listed
  not_ready_endpoints  INTEGER,
  load_balancer        VARCHAR,              -- hostname or IP of the load balancer
  annotations          VARCHAR NOT NULL,     -- the service.beta.kubernetes.io/* ones
  created_at           TIMESTAMP
);

CREATE TABLE k8s_karpenter (
  run_id         VARCHAR NOT NULL,
  cluster        VARCHAR NOT NULL,
  kind           VARCHAR NOT NULL,           -- NodePool | NodeClaim
  name           VARCHAR NOT NULL,
  nodepool       VARCHAR,                    -- a NodeClaim's NodePool
  node_name      VARCHAR,                    -- a NodeClaim's node
  instance_type  VARCHAR,
  capacity_type  VARCHAR,
  zone           VARCHAR,
  requirements   VARCHAR NOT NULL,           -- JSON array of {key, operator, values}
  limits         VARCHAR,                    -- JSON object (NodePool spec.limits)
  disruption     VARCHAR,                    -- JSON object (NodePool spec.disruption)
  weight         INTEGER,
  created_at     TIMESTAMP
);
