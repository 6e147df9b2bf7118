-- Cost Explorer lines; amounts stay DECIMAL in the raw table and become USD doubles here.
-- `cost_kind` says what a SERVICE × USAGE_TYPE line is to the cost model, by its usage type:
-- EC2 instance usage by purchase type (BoxUsage, DedicatedUsage, HostUsage are on-demand;
-- SpotUsage is spot), Fargate, the EKS fee, EBS volumes (storage, provisioned IOPS and throughput), or other (not modeled).
select
  cluster,
  date,
  group_by,
  key1,
  key2,
  metric,
  amount::double as amount,
  unit,
  estimated,
  tag_filter,
  case
    when group_by <> 'SERVICE,USAGE_TYPE' then null
    when key2 like '%BoxUsage%' or key2 like '%DedicatedUsage%' or key2 like '%HostUsage%' then 'on-demand'
    when key2 like '%SpotUsage%' then 'spot'
    when key2 like '%Fargate%' then 'fargate'
    when key2 like '%AmazonEKS-Hours%' then 'control-plane'
    -- The EKS Auto Mode management fee, billed by Amazon EKS (its usage type not verified: any
    -- EKS line naming Auto Mode).
    when key1 = 'Amazon Elastic Container Service for Kubernetes' and (key2 ilike '%automode%' or key2 ilike '%auto-mode%')
      then 'control-plane'
    -- EBS volumes: storage and the IOPS and throughput provisioned beyond what the type includes,
    -- all modeled per PVC (int_pvc_hours).
    when key2 like '%EBS:VolumeUsage%' or key2 like '%EBS:VolumeP-IOPS%' or key2 like '%EBS:VolumeP-Throughput%' then 'storage'
    else 'other'
  end as cost_kind
from aws_costs
where run_id = getvariable('run_id')
