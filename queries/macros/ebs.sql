-- EBS bills a volume's provisioned GB-month prorated by the hour over the hours of the calendar
-- month the hour falls in (a 100 GB gp3 volume kept 12 hours of a 30-day month costs
-- 100 × 0.08 × 12 / 720). Every PVC figure (allocation, the unused-objects table, the storage
-- total) sums these hourly costs over the window and scales them like any other cost.
CREATE OR REPLACE TEMP MACRO ebs_usd_per_hour(size_gib, usd_per_gb_month, hour) AS
  size_gib * usd_per_gb_month / (24.0 * day(last_day(hour)));

-- The EBS volume type a volume is billed as: from its storage class name (gp3, gp2, io1, io2, st1,
-- sc1), else its provisioner's default (the EBS CSI driver creates gp3, the in-tree aws-ebs
-- plugin gp2); null for what is not EBS (EFS, FSx, local disks).
CREATE OR REPLACE TEMP MACRO ebs_volume_type(storage_class, csi_driver) AS
  coalesce(
    nullif(regexp_extract(lower(coalesce(storage_class, '')), '(gp3|gp2|io1|io2|st1|sc1)'), ''),
    CASE csi_driver WHEN 'ebs.csi.aws.com' THEN 'gp3' WHEN 'kubernetes.io/aws-ebs' THEN 'gp2' END
  );
