"""Runs moto's server on 127.0.0.1:PORT for this project's tests: python moto_launcher.py PORT

Two things differ from a plain `moto_server`:
- it exits when its standard input closes, so it never outlives the process that started it;
- DescribeStream honours ExclusiveStartShardId. moto 5.2.1 ignores it and lists the stream's shard again,
  which makes the Flink DynamoDB Streams consumer take the shard for a new one at every shard discovery and
  read it again from the start (DynamoDB lists only the shards after the one named).
"""
import os
import sys
import threading


def _exit_with_parent():
    sys.stdin.buffer.read()
    os._exit(0)


def _honour_exclusive_start_shard_id():
    from moto.dynamodbstreams import responses

    def describe_stream(self):
        stream = self.backend.describe_stream(self._get_param("StreamArn"))
        start = self._get_param("ExclusiveStartShardId")
        if start:
            stream = dict(stream, Shards=[s for s in stream["Shards"] if s["ShardId"] > start])
        return responses.ActionResult({"StreamDescription": stream})

    responses.DynamoDBStreamsHandler.describe_stream = describe_stream


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: moto_launcher.py PORT")
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    _honour_exclusive_start_shard_id()
    from moto.server import main

    main(["-H", "127.0.0.1", "-p", sys.argv[1]])
