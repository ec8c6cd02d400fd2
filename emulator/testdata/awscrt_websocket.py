"""Connects to stepwire's MQTT over WebSocket with the AWS Common Runtime,
signing the upgrade as AWS IoT's device SDK does (websockets with default
AWS signing: service iotdevicegateway, query parameters, session token
left out of the signature), then subscribes, publishes to the same topic
and waits for its own message.

Usage: awscrt_websocket.py HOST PORT REGION CLIENT_ID TOPIC
Credentials come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
AWS_SESSION_TOKEN. Prints "received <payload>" and exits 0, or exits 1.
"""
import os
import sys
import threading

from awscrt import auth, io, mqtt


def main():
    host, port, region, client_id, topic = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    creds = auth.AwsCredentialsProvider.new_static(
        os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_SECRET_ACCESS_KEY"],
        os.environ.get("AWS_SESSION_TOKEN") or None)

    def sign(transform_args, **kwargs):
        try:
            cfg = auth.AwsSigningConfig(
                algorithm=auth.AwsSigningAlgorithm.V4,
                signature_type=auth.AwsSignatureType.HTTP_REQUEST_QUERY_PARAMS,
                credentials_provider=creds, region=region, service="iotdevicegateway",
                omit_session_token=True)
            fut = auth.aws_sign_request(transform_args.http_request, cfg)
            fut.add_done_callback(lambda f: transform_args.set_done(f.exception()))
        except Exception as e:  # noqa: BLE001 - handed to the runtime
            transform_args.set_done(e)

    elg = io.EventLoopGroup(1)
    bootstrap = io.ClientBootstrap(elg, io.DefaultHostResolver(elg))
    conn = mqtt.Connection(client=mqtt.Client(bootstrap, None), host_name=host, port=port,
                           client_id=client_id, clean_session=True, keep_alive_secs=30,
                           use_websockets=True, websocket_handshake_transform=sign,
                           reconnect_min_timeout_secs=1, reconnect_max_timeout_secs=1)
    try:
        conn.connect().result(10)
    except Exception as e:  # noqa: BLE001
        print("connect failed:", e)
        return 1
    got = threading.Event()
    received = {}

    def on_message(topic, payload, **kwargs):
        received["v"] = payload.decode()
        got.set()

    sub, _ = conn.subscribe(topic, mqtt.QoS.AT_LEAST_ONCE, on_message)
    sub.result(10)
    pub, _ = conn.publish(topic, b"hello from awscrt", mqtt.QoS.AT_LEAST_ONCE)
    pub.result(10)
    if not got.wait(10):
        print("no message received")
        return 1
    print("received", received["v"])
    conn.disconnect().result(10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
