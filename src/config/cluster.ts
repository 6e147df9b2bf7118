/**
 * One cluster of `clusters:`: its name as reports show it, the kube context to read, its region,
 * and how its AWS account is reached (a role to assume, a profile, or the payer account's bill).
 */
import { z } from "zod";

const regionCode = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region code such as us-east-1");

export const clusterSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "letters, digits, '-', '_' and '.' only")
    .describe("The cluster's name as reports show it and the `cluster` value of every row."),
  context: z
    .string()
    .min(1)
    .optional()
    .describe("Kube context to read; default: the current context (in a pod: its service account)."),
  region: regionCode.describe("AWS region the cluster runs in (prices and Cost Explorer)."),
  aws: z
    .strictObject({
      roleArn: z
        .string()
        .regex(
          /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/,
          "an IAM role ARN, arn:aws:iam::<account>:role/<name>",
        )
        .optional()
        .describe(
          "A role in the cluster's account to assume (STS) for its bill, prices and spot history: one run reads clusters of several accounts. The role trusts the identity capacity runs as (docs/operations.md).",
        ),
      externalId: z
        .string()
        .min(2)
        .max(1224)
        .optional()
        .describe("The external ID the role's trust policy asks for, if any."),
      profile: z
        .string()
        .min(1)
        .optional()
        .describe(
          "A profile of the shared AWS config files to use for this cluster (or to assume roleArn from).",
        ),
      linkedAccount: z
        .string()
        .regex(/^\d{12}$/, "a 12-digit AWS account ID")
        .optional()
        .describe(
          "Read Cost Explorer from the organization's management (payer) account instead: every bill query is limited to this member account (the LINKED_ACCOUNT dimension); the cluster's tag filter still applies.",
        ),
    })
    .optional()
    .describe("How to reach the cluster's AWS account; default: the identity capacity runs as."),
});
