"""`python -m tests.kafka_server [--port N] [--data-dir D]`: run the test Kafka until Ctrl-C (prints its bootstrap
address as its first line)."""

from tests.kafka_server import main

main()
