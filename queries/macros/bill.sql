-- What a billed line the model does not price is, by its usage type (Cost Explorer's USAGE_TYPE,
-- with or without the region prefix such as `USE1-`), so no dollar of the bill is lumped into
-- "other": the category a reader knows, and why the model leaves it unallocated. Usage type names
-- as AWS bills them: NatGateway-Hours/-Bytes, LoadBalancerUsage/LCUUsage (ALB and NLB), PublicIPv4:
-- InUseAddress/IdleAddress, DataTransfer-Regional-Bytes (between zones), DataTransfer-Out-Bytes,
-- EBS:SnapshotUsage, EBS:VolumeP-IOPS.<type>, EBS:VolumeP-Throughput.<type>.
CREATE OR REPLACE TEMP MACRO bill_line_category(usage_type) AS
  CASE
    WHEN usage_type LIKE '%NatGateway-Hours%' THEN 'NAT gateway hours'
    WHEN usage_type LIKE '%NatGateway-Bytes%' THEN 'NAT gateway data processed'
    WHEN usage_type LIKE '%LoadBalancerUsage%' THEN 'Load balancer hours'
    WHEN usage_type LIKE '%LCUUsage%' THEN 'Load balancer capacity units (LCU-hours)'
    WHEN usage_type LIKE '%PublicIPv4:%' THEN 'Public IPv4 addresses'
    WHEN usage_type LIKE '%DataTransfer-Regional-Bytes%' THEN 'Data transfer between zones'
    WHEN usage_type LIKE '%DataTransfer-Out-Bytes%' OR usage_type LIKE '%AWS-Out-Bytes%' THEN 'Data transfer out'
    WHEN usage_type LIKE '%DataTransfer-In-Bytes%' OR usage_type LIKE '%AWS-In-Bytes%' THEN 'Data transfer in'
    WHEN usage_type LIKE '%EBS:SnapshotUsage%' OR usage_type LIKE '%EBS:Snapshot%' THEN 'EBS snapshots'
    WHEN usage_type LIKE '%EBS:VolumeP-IOPS%' THEN 'EBS provisioned IOPS'
    WHEN usage_type LIKE '%EBS:VolumeP-Throughput%' THEN 'EBS provisioned throughput'
    WHEN usage_type LIKE '%EBS:VolumeUsage%' THEN 'EBS volume storage'
    ELSE 'Other usage type'
  END;

-- Why the model leaves a category of billed line unallocated (shown beside its dollars).
CREATE OR REPLACE TEMP MACRO bill_line_reason(category) AS
  CASE
    WHEN category LIKE 'NAT gateway%' THEN 'a VPC resource shared by the subnets, not a cluster object: shown from the bill, not allocated'
    WHEN category LIKE 'Load balancer%' THEN 'no AWS-sourced load balancer price in data/reference: shown from the bill, not allocated to Services'
    WHEN category = 'Public IPv4 addresses' THEN 'the addresses (nodes, NAT gateways, load balancers) are not in the inventory: shown from the bill'
    WHEN category LIKE 'Data transfer%' THEN 'bytes per pod are not collected: shown from the bill, not allocated'
    WHEN category = 'EBS snapshots' THEN 'snapshots are not Kubernetes objects: shown from the bill under the cluster''s tag'
    WHEN category LIKE 'EBS provisioned%' THEN 'compared with the PVCs'' provisioned IOPS and throughput (their StorageClass) on the storage line'
    WHEN category = 'EBS volume storage' THEN 'compared with the PVCs on its own line'
    ELSE 'a usage type the model does not know: shown by name'
  END;

-- A Cost Explorer PURCHASE_TYPE that is a commitment: Savings Plans or Reserved Instances (CE's
-- values "Savings Plans", "Standard Reserved Instances", "Convertible Reserved Instances").
CREATE OR REPLACE TEMP MACRO is_commitment(purchase_type) AS
  purchase_type ILIKE '%savings plan%' OR purchase_type ILIKE '%reserved%';
