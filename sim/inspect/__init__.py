"""The request inspector: a bounded ring of recent SCIM exchanges each app shows in its console and at `/_sim/exchanges`.

Product-blind: each factory tells it what to record (the pusher's client recorder on JumpCloud, the receiver
blueprint's response hook on StrongDM) and who may read it (`authorize`). `exchange` is the one home of the
exchanges.jsonl line format that `sim export` writes.
"""
