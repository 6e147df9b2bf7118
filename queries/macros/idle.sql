-- The idle share: idle cost ÷ the cost of the EC2 node-hours it is part of, that is the part of
-- what the nodes cost that no pod was charged for (docs/cost-model.md, "Idle"). Fargate is not in
-- the denominator: a Fargate pod is billed its own size, there is no node around it to sit idle.
-- The cluster summary and the node table both use it.
CREATE OR REPLACE TEMP MACRO idle_share(idle_usd, node_cost_usd) AS idle_usd / nullif(node_cost_usd, 0);
