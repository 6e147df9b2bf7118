-- Savings Plans and Reserved Instances: coverage and utilisation from Cost Explorer
-- (GetSavingsPlansCoverage, GetSavingsPlansUtilization, GetReservationCoverage), one row per
-- measure and day. Commitments are the account's, not the cluster's: the rows say so by
-- carrying no tag filter.
CREATE TABLE aws_commitments (
  run_id           VARCHAR NOT NULL,
  cluster          VARCHAR NOT NULL,
  commitment       VARCHAR NOT NULL,           -- savings-plans | reserved-instances
  measure          VARCHAR NOT NULL,           -- coverage | utilization
  period_start     DATE NOT NULL,
  period_end       DATE NOT NULL,              -- exclusive
  covered_usd      DECIMAL(38, 10),            -- on-demand equivalent spend the commitment covered
  on_demand_usd    DECIMAL(38, 10),            -- eligible spend left on on-demand (uncovered)
  covered_hours    DOUBLE,                     -- RI: reserved hours
  on_demand_hours  DOUBLE,                     -- RI: on-demand hours
  commitment_usd   DECIMAL(38, 10),            -- utilisation: the commitment of the period
  used_usd         DECIMAL(38, 10),
  unused_usd       DECIMAL(38, 10),
  source           VARCHAR NOT NULL            -- cost-explorer
);

-- The capacity.io/* annotations of pods and workloads (the spot override capacity.io/spot-ready).
ALTER TABLE k8s_pods ADD COLUMN annotations VARCHAR;
ALTER TABLE k8s_workloads ADD COLUMN annotations VARCHAR;

-- Ingresses: those of the AWS Load Balancer Controller (class alb) each run an Application Load
-- Balancer (one per alb.ingress.kubernetes.io/group.name), billed whether its targets are ready
-- or not.
CREATE TABLE k8s_ingresses (
  run_id            VARCHAR NOT NULL,
  cluster           VARCHAR NOT NULL,
  namespace         VARCHAR NOT NULL,
  name              VARCHAR NOT NULL,
  ingress_class     VARCHAR,                 -- spec.ingressClassName, else kubernetes.io/ingress.class
  backend_services  VARCHAR NOT NULL,        -- JSON array of Service names
  load_balancer     VARCHAR,                 -- hostname or IP of the load balancer
  annotations       VARCHAR NOT NULL,        -- the alb.ingress.kubernetes.io/* ones
  created_at        TIMESTAMP
);
