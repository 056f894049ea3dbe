"""A Spark job for the live producer tests (tests/e2e/test_producers.py), run with the OpenLineage Spark listener:
read customers (CSV) and orders (Parquet), join, filter, aggregate, write Parquet. With `--fail` a step divides by
zero while the write runs, so that job starts and fails. Usage: orders_job.py WORKDIR [--fail]"""

import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

work = sys.argv[1]
spark = SparkSession.builder.appName("orders_by_customer").getOrCreate()
customers = spark.createDataFrame(
    [(1, "Michael", "NL"), (2, "Shawn", "BE"), (3, "Kathleen", "NL")], ["id", "name", "country"]
)
customers.write.mode("overwrite").option("header", True).csv(f"{work}/customers_csv")
orders = spark.createDataFrame(
    [(10, 1, 25.0), (11, 1, 40.0), (12, 2, 12.5), (13, 3, 99.0)], ["order_id", "customer_id", "amount"]
)
orders.write.mode("overwrite").parquet(f"{work}/orders_parquet")

customers = spark.read.option("header", True).option("inferSchema", True).csv(f"{work}/customers_csv")
orders = spark.read.parquet(f"{work}/orders_parquet")
joined = orders.join(customers, orders.customer_id == customers.id).filter(F.col("country") == "NL")
if "--fail" in sys.argv:
    joined = joined.withColumn("amount", F.udf(lambda a: a / 0, "double")(F.col("amount")))
totals = joined.groupBy("name").agg(F.sum("amount").alias("total"))
totals.write.mode("overwrite").parquet(f"{work}/totals_parquet")
spark.stop()
