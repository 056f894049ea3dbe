-- no CTE: dbt-ol's SQL parser names the table itself as the columns' source (it names a CTE otherwise)
select customer_id, first_name || ' ' || last_name as full_name
from {{ ref('stg_customers') }}
