/**
 * What prices a PVC's IOPS and throughput: the StorageClass's provisioner and parameters as the
 * API serves them, and the Price List's EBS provisioned IOPS and throughput products by usage type.
 */
import { describe, expect, it } from "vitest";
import type { Problem } from "../../../src/collect/kubernetes/map.js";
import { mapClusterObjects } from "../../../src/collect/kubernetes/objects.js";
import {
  ebsPerformancePriceRow,
  eksPriceRow,
  type PriceListProduct,
} from "../../../src/collect/pricing/map.js";

const none = {
  namespaces: [],
  persistentvolumeclaims: [],
  persistentvolumes: [],
  services: [],
  endpoints: [],
  endpointslices: [],
  nodepools: [],
  nodeclaims: [],
  ingresses: [],
};

describe("StorageClasses", () => {
  it("keeps a class's provisioner and its parameters as strings, and names a class without a name as a problem", () => {
    const problems: Problem[] = [];
    const rows = mapClusterObjects(
      {
        ...none,
        storageclasses: [
          {
            metadata: { name: "fast", creationTimestamp: "2026-01-01T00:00:00Z" },
            provisioner: "ebs.csi.aws.com",
            parameters: { type: "gp3", iops: "6000", throughput: 250 },
          } as never,
          { metadata: {} },
        ],
      },
      "prod",
      problems,
    );
    expect(rows.k8s_storage_classes).toEqual([
      {
        cluster: "prod",
        name: "fast",
        provisioner: "ebs.csi.aws.com",
        parameters: { type: "gp3", iops: "6000", throughput: "250" },
        created_at: "2026-01-01T00:00:00.000Z",
      },
    ]);
    expect(problems).toEqual([
      expect.objectContaining({ resource: "storageclasses", field: "metadata.name" }),
    ]);
  });
});

describe("EBS provisioned IOPS and throughput prices", () => {
  const product = (usagetype: string, unit: string, usd: string): PriceListProduct => ({
    sku: "SKU",
    serviceCode: "AmazonEC2",
    productFamily: "System Operation",
    attributes: { usagetype },
    unit,
    usd,
    effectiveDate: "2026-11-01T00:00:00Z",
  });
  const row = (p: PriceListProduct) => ebsPerformancePriceRow(p, "prod", "us-east-1", "2026-11-29T00:00:00Z");

  it("reads gp3, io1 (piops) and io2's tiers per IOPS-month, and gp3 throughput per MiB/s-month", () => {
    expect(row(product("USE1-EBS:VolumeP-IOPS.gp3", "IOPS-Mo", "0.005"))).toMatchObject({
      product: "ebs-iops",
      instance_type: "gp3",
      price_usd: "0.005",
      as_of: "2026-11-01",
    });
    expect(row(product("USE1-EBS:VolumeP-IOPS.piops", "IOPS-Mo", "0.065"))).toMatchObject({
      instance_type: "io1",
    });
    expect(row(product("USE1-EBS:VolumeP-IOPS.io2.tier2", "IOPS-Mo", "0.0455"))).toMatchObject({
      instance_type: "io2-tier2",
    });
    expect(row(product("USE1-EBS:VolumeP-Throughput.gp3", "GiBps-mo", "40.96"))).toMatchObject({
      product: "ebs-throughput",
      instance_type: "gp3",
      unit: "MiBps-Mo",
      price_usd: "0.04",
    });
  });

  it("ignores other System Operation products", () => {
    expect(row(product("USE1-EBS:directAPI.snapshot.List", "Requests", "0.0006"))).toBeNull();
  });
});

describe("EKS Auto Mode management fee prices", () => {
  const eks = (attributes: Record<string, string>, unit: string): PriceListProduct => ({
    sku: "SKU",
    serviceCode: "AmazonEKS",
    productFamily: "Compute",
    attributes,
    unit,
    usd: "0.0230400000",
    effectiveDate: "2026-11-01T00:00:00Z",
  });
  it("reads an AmazonEKS product of eksproducttype AutoMode as the Auto Mode fee of its instancetype, and nothing else", () => {
    const fee = { eksproducttype: "AutoMode", operation: "EKSAutoUsage", instancetype: "m5.xlarge" };
    expect(eksPriceRow(eks(fee, "Hrs"), "prod", "us-east-1", "t")).toMatchObject({
      product: "eks-auto-mode",
      instance_type: "m5.xlarge",
      unit: "Hrs",
      price_usd: "0.0230400000",
    });
    expect(eksPriceRow(eks(fee, "hours"), "prod", "us-east-1", "t")).toMatchObject({
      instance_type: "m5.xlarge",
    });
    expect(
      eksPriceRow(eks({ usagetype: "USE1-AmazonEKS-Hours:perCluster" }, "Hrs"), "prod", "us-east-1", "t"),
    ).toMatchObject({
      product: "eks",
    });
    // Per instance type by the hour, but not marked AutoMode: not the fee.
    expect(eksPriceRow(eks({ instanceType: "m5.xlarge" }, "Hrs"), "prod", "us-east-1", "t")).toBeNull();
    expect(
      eksPriceRow(
        eks({ eksproducttype: "HybridNodes", instancetype: "m5.xlarge" }, "Hrs"),
        "prod",
        "us-east-1",
        "t",
      ),
    ).toBeNull();
    expect(
      eksPriceRow(eks({ usagetype: "USE1-EKS-Hybrid-vCPU-Hours" }, "vCPU-Hours"), "prod", "us-east-1", "t"),
    ).toBeNull();
  });
});
