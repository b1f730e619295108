-- The communication lifecycle (src/communications/lifecycle.ts) gives the print queue and an
-- interrupted hand-over statuses of their own, and fails an item whose delivery job gave up.

-- A letter in the print queue was 'rendered' with transport 'print'.
UPDATE communications SET status = 'awaiting_print' WHERE status = 'rendered' AND transport = 'print';
--> statement-breakpoint
-- A hand-over that was interrupted was only the newest attempt; rendered items without one wait for a retry.
UPDATE communications c SET status = 'handing_over'
WHERE c.status = 'rendered'
  AND (SELECT a.outcome FROM communication_attempts a WHERE a.communication_id = c.id
       ORDER BY a.at DESC, a.id DESC LIMIT 1) = 'handing_over';
--> statement-breakpoint
-- An item whose delivery job ran out of attempts stayed queued, and its batch run never ended.
WITH dead AS (
  SELECT DISTINCT ON (c.id) c.id, c.status, j.last_error
  FROM communications c
  JOIN jobs j ON j.kind = 'communication.deliver' AND j.status = 'dead' AND j.payload->>'communicationId' = c.id::text
  WHERE c.status IN ('queued', 'rendered', 'handing_over')
    AND NOT EXISTS (
      SELECT 1 FROM jobs k
      WHERE k.kind = 'communication.deliver' AND k.status IN ('queued', 'running')
        AND k.payload->>'communicationId' = c.id::text)
  ORDER BY c.id, j.finished_at DESC NULLS LAST, j.id DESC),
failed AS (
  UPDATE communications c
  SET status = 'failed',
      status_reason = 'Delivery gave up after its last attempt: '
        || regexp_replace(split_part(coalesce(d.last_error, 'no error was recorded'), E'\n', 1), '^\w*Error: ', '')
        || CASE WHEN d.status = 'handing_over'
             THEN ' The last hand-over was interrupted and may have reached the channel.' ELSE '' END,
      updated_at = now()
  FROM dead d
  WHERE c.id = d.id
  RETURNING c.id, c.customer_id, c.status_reason)
INSERT INTO timeline_entries (customer_id, at, kind, title, body, subject_type, subject_id)
SELECT customer_id, now(), 'communication', 'Not sent: delivery gave up', status_reason, 'communication', id::text
FROM failed;
