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
