/**
 * Lines the demo bill carries beside compute, the EKS fee and PVC storage, one set per day, so
 * that the reconciliation shows each by usage type with why it is not allocated (issue #16):
 *
 * PLANTED:
 * - one NAT gateway all day (NatGateway-Hours, USD 0.045 per hour) processing 20 GB a day
 *   (NatGateway-Bytes, USD 0.045 per GB);
 * - the two internet-facing NLBs of the demo's Services (shop/frontend, shop/legacy-storefront)
 *   all day (LoadBalancerUsage, 2 × 24 hours), billed at USD 0.0225 per hour: a demo amount, not
 *   a sourced price; the model does not price load balancers;
 * - their public IPv4 addresses (one per NLB per zone, 2 × 3) and the NAT gateway's, all day
 *   (PublicIPv4:InUseAddress, USD 0.005 per address-hour);
 * - gp3 IOPS above the 3,000 included on the Kafka volumes: 6,000 IOPS-month provisioned
 *   (EBS:VolumeP-IOPS.gp3, USD 0.005 per IOPS-month prorated over the month's days);
 * - extended support: Kubernetes 1.31 left standard support on 2025-11-26 (the release calendar),
 *   and the cluster's upgrade policy is EXTENDED (nodes.ts reads DEMO_SUPPORT_TYPE), so every day
 *   carries USE1-AmazonEKS-Hours:extendedSupport, 24 hours at the USD 0.50 surcharge.
 * Prices are those of /work/shared/REFERENCE.md ("Fees and lines the bill carries") except the
 * load balancer hour, which is the demo's own figure.
 */

export interface BillLine {
  service: string;
  usageType: string;
  usd: number;
  quantity: number;
  unit: string;
}

/** The demo cluster's upgradePolicy.supportType (scripts/demo/nodes.ts writes it into eks.json). */
export const DEMO_SUPPORT_TYPE = "EXTENDED";

const EC2_OTHER = "EC2 - Other";
const EKS = "Amazon Elastic Container Service for Kubernetes";
const VPC = "Amazon Virtual Private Cloud";
const ELB = "Elastic Load Balancing";

/** The planted lines of one day of a month with `daysInMonth` days. */
export function plantedBillLines(daysInMonth: number): BillLine[] {
  const natGb = 20;
  const loadBalancers = 2;
  const addresses = loadBalancers * 3 + 1;
  const extraIops = 6000;
  return [
    {
      service: EKS,
      usageType: "USE1-AmazonEKS-Hours:extendedSupport",
      usd: 24 * 0.5,
      quantity: 24,
      unit: "Hours",
    },
    { service: EC2_OTHER, usageType: "NatGateway-Hours", usd: 24 * 0.045, quantity: 24, unit: "Hrs" },
    { service: EC2_OTHER, usageType: "NatGateway-Bytes", usd: natGb * 0.045, quantity: natGb, unit: "GB" },
    {
      service: ELB,
      usageType: "USE1-LoadBalancerUsage",
      usd: loadBalancers * 24 * 0.0225,
      quantity: loadBalancers * 24,
      unit: "Hrs",
    },
    {
      service: VPC,
      usageType: "USE1-PublicIPv4:InUseAddress",
      usd: addresses * 24 * 0.005,
      quantity: addresses * 24,
      unit: "Hrs",
    },
    {
      service: EC2_OTHER,
      usageType: "EBS:VolumeP-IOPS.gp3",
      usd: (extraIops * 0.005) / daysInMonth,
      quantity: extraIops / daysInMonth,
      unit: "IOPS-Mo",
    },
  ];
}

/** A Cost Explorer group of the PURCHASE_TYPE × INSTANCE_TYPE page. */
export interface PurchaseGroup {
  purchaseType: string;
  instanceType: string;
  hours: number;
  unblendedUsd: number;
  amortizedUsd: number;
}

/**
 * PLANTED: a Compute Savings Plan covers part of general-od's on-demand m6i.xlarge hours, 240
 * instance-hours on even days of the window and 200 on odd ones (the plan floats to other
 * clusters of the account), at an effective USD 0.1344 per hour: the demo's own plan rate (30 %
 * below the 0.192 list price), which the model reads from the bill, never assumes. Under the
 * cluster's tag, UnblendedCost shows the covered hours negated (the plan's fee is charged to the
 * account, untagged) and AmortizedCost shows them at the plan rate. Mutates the day's lines
 * (`usd` becomes the unblended cost, `amortizedUsd` is set) and returns the day's groups by
 * purchase type and the unblended dollars the plan took off.
 */
export function applySavingsPlan(
  lines: Array<BillLine & { amortizedUsd?: number }>,
  day: number,
): { groups: PurchaseGroup[]; unblendedOffUsd: number } {
  const planRate = 0.1344;
  const groups: PurchaseGroup[] = [];
  let unblendedOffUsd = 0;
  for (const l of lines) {
    const type = /^(BoxUsage|SpotUsage):(.+)$/.exec(l.usageType);
    if (!type) continue;
    if (type[1] === "SpotUsage") {
      groups.push({
        purchaseType: "Spot Instances",
        instanceType: type[2]!,
        hours: l.quantity,
        unblendedUsd: l.usd,
        amortizedUsd: l.usd,
      });
      continue;
    }
    const list = l.usd / l.quantity;
    const covered = type[2] === "m6i.xlarge" ? Math.min(l.quantity, day % 2 === 0 ? 240 : 200) : 0;
    const onDemandUsd = (l.quantity - covered) * list;
    unblendedOffUsd += covered * list;
    l.usd = onDemandUsd;
    l.amortizedUsd = onDemandUsd + covered * planRate;
    groups.push({
      purchaseType: "On Demand Instances",
      instanceType: type[2]!,
      hours: l.quantity - covered,
      unblendedUsd: onDemandUsd,
      amortizedUsd: onDemandUsd,
    });
    if (covered > 0)
      groups.push({
        purchaseType: "Savings Plans",
        instanceType: type[2]!,
        hours: covered,
        unblendedUsd: 0,
        amortizedUsd: covered * planRate,
      });
  }
  return { groups, unblendedOffUsd };
}

/** The GetCostAndUsage page grouped by PURCHASE_TYPE × INSTANCE_TYPE, as the collector asks for it. */
export function purchaseTypePage(
  request: Record<string, unknown>,
  days: ReadonlyArray<{ TimePeriod: { Start: string; End: string }; Estimated: boolean }>,
  groups: readonly PurchaseGroup[][],
) {
  const groupDefinitions = [
    { Type: "DIMENSION", Key: "PURCHASE_TYPE" },
    { Type: "DIMENSION", Key: "INSTANCE_TYPE" },
  ];
  const amount = (usd: number, unit = "USD") => ({ Amount: usd.toFixed(10), Unit: unit });
  return {
    request: { ...request, GroupBy: groupDefinitions },
    response: {
      GroupDefinitions: groupDefinitions,
      ResultsByTime: days.map((d, i) => ({
        TimePeriod: d.TimePeriod,
        Total: {},
        Groups: [...groups[i]!]
          .sort(
            (x, y) =>
              x.purchaseType.localeCompare(y.purchaseType) || x.instanceType.localeCompare(y.instanceType),
          )
          .map((g) => ({
            Keys: [g.purchaseType, g.instanceType],
            Metrics: {
              UnblendedCost: amount(g.unblendedUsd),
              AmortizedCost: amount(g.amortizedUsd),
              NetAmortizedCost: amount(g.amortizedUsd),
              UsageQuantity: amount(g.hours, "Hrs"),
            },
          })),
        Estimated: d.Estimated,
      })),
      DimensionValueAttributes: [],
    },
  };
}
