-- EBS bills a volume's provisioned GB-month prorated by the hour over the hours of the calendar
-- month the hour falls in (a 100 GB gp3 volume kept 12 hours of a 30-day month costs
-- 100 × 0.08 × 12 / 720). Every PVC figure (allocation, the unused-objects table, the storage
-- total) sums these hourly costs over the window and scales them like any other cost.
-- Provisioned IOPS and throughput bill the same way (AWS: "charged by the amount you provision in
-- IOPS per month and MB/s per month", per second over the month): one rule for every EBS line, a
-- monthly quantity (GB, IOPS, MiB/s) × its monthly price over the hours of that month.
CREATE OR REPLACE TEMP MACRO ebs_usd_per_hour(quantity, usd_per_unit_month, hour) AS
  quantity * usd_per_unit_month / (24.0 * day(last_day(hour)));

-- The IOPS a volume is billed for beyond what its type includes: gp3 includes 3,000, io1 and io2
-- bill every provisioned IOPS; other types (gp2, st1, sc1) have no provisioned IOPS.
CREATE OR REPLACE TEMP MACRO ebs_billed_iops(volume_type, iops) AS
  CASE
    WHEN volume_type = 'gp3' THEN greatest(coalesce(iops, 3000) - 3000, 0)
    WHEN volume_type IN ('io1', 'io2') THEN coalesce(iops, 0)
    ELSE 0
  END;

-- io2's provisioned IOPS in its price tiers: up to 32,000, 32,001 to 64,000, above 64,000.
CREATE OR REPLACE TEMP MACRO ebs_io2_tier_iops(iops, tier) AS
  CASE tier
    WHEN 1 THEN least(iops, 32000)
    WHEN 2 THEN least(greatest(iops - 32000, 0), 32000)
    ELSE greatest(iops - 64000, 0)
  END;

-- The month's price of a volume's billed IOPS (io2 by its tiers) from the prices per IOPS-month of
-- its type (int_ebs_prices); 0 for types without provisioned IOPS, NULL when unpriced.
CREATE OR REPLACE TEMP MACRO ebs_iops_usd_per_month(volume_type, iops, gp3, io1, io2, io2_tier2, io2_tier3) AS
  CASE volume_type
    WHEN 'gp3' THEN ebs_billed_iops(volume_type, iops) * gp3
    WHEN 'io1' THEN ebs_billed_iops(volume_type, iops) * io1
    WHEN 'io2' THEN ebs_io2_tier_iops(iops, 1) * io2 + ebs_io2_tier_iops(iops, 2) * io2_tier2
      + ebs_io2_tier_iops(iops, 3) * io2_tier3
    ELSE 0
  END;

-- The throughput (MiB/s) a gp3 volume is billed for beyond its included 125 MiB/s.
CREATE OR REPLACE TEMP MACRO ebs_billed_throughput_mibps(volume_type, throughput_mibps) AS
  CASE WHEN volume_type = 'gp3' THEN greatest(coalesce(throughput_mibps, 125) - 125, 0) ELSE 0 END;

-- The EBS volume type a volume is billed as: its StorageClass's `type` parameter when the class
-- was read (ebs_type), else from its storage class name (gp3, gp2, io1, io2, st1,
-- sc1), else its provisioner's default (the EBS CSI driver creates gp3, the in-tree aws-ebs
-- plugin gp2); null for what is not EBS (EFS, FSx, local disks).
CREATE OR REPLACE TEMP MACRO ebs_volume_type(storage_class, csi_driver, ebs_type := NULL) AS
  coalesce(
    nullif(regexp_extract(coalesce(ebs_type, ''), '^(gp3|gp2|io1|io2|st1|sc1)$'), ''),
    nullif(regexp_extract(lower(coalesce(storage_class, '')), '(gp3|gp2|io1|io2|st1|sc1)'), ''),
    CASE csi_driver WHEN 'ebs.csi.aws.com' THEN 'gp3' WHEN 'kubernetes.io/aws-ebs' THEN 'gp2' END
  );

-- The month's price of a gp3 volume's billed throughput from the price per MiB/s-month; 0 for
-- other types.
CREATE OR REPLACE TEMP MACRO ebs_throughput_usd_per_month(volume_type, throughput_mibps, gp3) AS
  CASE WHEN volume_type = 'gp3' THEN ebs_billed_throughput_mibps(volume_type, throughput_mibps) * gp3 ELSE 0 END;
