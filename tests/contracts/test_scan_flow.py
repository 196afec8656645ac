"""The scanner on the shapes real code takes: wrapper hooks, helpers, callbacks, paginators, waiters."""

import textwrap

from botocontract.contracts.scan import scan_paths, scan_source

HOOKS = textwrap.dedent(
    """
    from functools import cached_property, partial

    import boto3


    class AwsBaseHook:
        def __init__(self, client_type=None, resource_type=None):
            self.client_type = client_type
            self.resource_type = resource_type

        def get_client_type(self):
            return boto3.session.Session().client(service_name=self.client_type)

        def get_resource_type(self):
            return boto3.session.Session().resource(self.resource_type)

        @cached_property
        def conn(self):
            if self.client_type:
                return self.get_client_type()
            return self.get_resource_type()

        def get_conn(self):
            return self.conn


    class S3Hook(AwsBaseHook):
        def __init__(self, *args, **kwargs):
            kwargs["client_type"] = "s3"
            super().__init__(*args, **kwargs)

        def load_bytes(self, data, bucket, key):
            self.get_conn().put_object(Bucket=bucket, Key=key, Body=data)

        def keys(self, bucket):
            paginator = self.conn.get_paginator("list_objects_v2")
            out = []
            for page in paginator.paginate(Bucket=bucket, PaginationConfig={"PageSize": 10}):
                for obj in page.get("Contents", []):
                    out.append(obj["Key"])
            return out

        def wait_for(self, bucket, key):
            self.conn.get_waiter("object_exists").wait(Bucket=bucket, Key=key)


    class TableHook(AwsBaseHook):
        def __init__(self, *args, **kwargs):
            kwargs["resource_type"] = "dynamodb"
            super().__init__(*args, **kwargs)

        def put(self, name, item):
            self.conn.Table(name).put_item(Item=item)


    class GlueHook(AwsBaseHook):
        def __init__(self, *args, **kwargs):
            super().__init__(client_type="glue", *args, **kwargs)

        def state(self, name, run_id):
            run: dict = self.conn.get_job_run(JobName=name, RunId=run_id)["JobRun"]
            return run["JobRunState"]

        def start(self, name, args):
            request = {"JobName": name, "Arguments": args}
            request["Timeout"] = 5
            return self.conn.start_job_run(**request)


    class GlueOperator:
        aws_hook_class = GlueHook

        @cached_property
        def hook(self):
            return self.aws_hook_class()

        def execute(self):
            run = self.hook.conn.get_job_run(JobName="j", RunId="r")
            return run["JobRun"]["Id"]


    def try_it(f, ex, *args, **kwargs):
        return f(*args, **kwargs)


    def describe(client_dynamodb, name):
        response = try_it(f=client_dynamodb.describe_table, ex=Exception, TableName=name)
        return response["Table"]["TableStatus"]


    def deleter(client: "SQSClient"):
        return partial(client.delete_message, QueueUrl="u")


    def unknown(client, thing):
        return client.describe_anything(Name=thing)
    """
)
IMPORTS = "from mypy_boto3_sqs import SQSClient\n"


def _scan(tmp_path):
    pkg = tmp_path / "app"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "hooks.py").write_text(IMPORTS + HOOKS)
    return scan_paths([pkg])


def test_wrapper_hooks_properties_and_methods_resolve(tmp_path):
    c = _scan(tmp_path).contract
    assert c.operation("s3", "PutObject").request == {"Bucket", "Key", "Body"}
    assert c.operation("dynamodb", "PutItem").request == {"TableName", "Item"}
    glue = c.operation("glue", "GetJobRun")
    assert glue.request == {"JobName", "RunId"}
    # Reads from two functions, each credited to its own call: JobRunState (hook) and Id (operator).
    assert glue.response == {"JobRun", "JobRun.JobRunState", "JobRun.Id"}


def test_paginators_waiters_kwargs_callbacks(tmp_path):
    result = _scan(tmp_path)
    c = result.contract
    assert c.paginators["s3"] == {"ListObjectsV2"}
    assert c.operation("s3", "ListObjectsV2").request == {"Bucket"}
    assert c.operation("s3", "ListObjectsV2").response == {"Contents", "Contents[].Key"}
    assert c.waiters["s3"] == {"ObjectExists"}
    assert c.operation("s3", "HeadObject").request == {"Bucket", "Key"}
    assert c.operation("glue", "StartJobRun").request == {"JobName", "Arguments", "Timeout"}
    assert c.operation("dynamodb", "DescribeTable").request == {"TableName"}
    assert c.operation("dynamodb", "DescribeTable").response == {"Table", "Table.TableStatus"}
    assert c.operation("sqs", "DeleteMessage").request == {"QueueUrl"}


def test_unresolved_calls_are_reported_with_file_and_line(tmp_path):
    result = _scan(tmp_path)
    unresolved = result.unresolved
    assert len(unresolved) == 1
    assert unresolved[0].endswith("hooks.py:98: describe_anything: the client's service is not known here")
    summary = result.summary()
    assert "1 unresolved" in summary and "scanned 2 file(s)" in summary


def test_reads_are_tracked_per_function():
    src = textwrap.dedent(
        """
        import boto3
        sqs = boto3.client("sqs")

        def a():
            r = sqs.receive_message(QueueUrl="u")
            return r["Messages"]

        def b():
            r = sqs.get_queue_url(QueueName="q")
            return r["QueueUrl"]
        """
    )
    c = scan_source(src).contract
    assert c.operation("sqs", "ReceiveMessage").response == {"Messages"}
    assert c.operation("sqs", "GetQueueUrl").response == {"QueueUrl"}


def test_resource_collections_and_attributes():
    src = textwrap.dedent(
        """
        import boto3
        s3 = boto3.resource("s3")

        def names(bucket):
            for obj in s3.Bucket(bucket).objects.filter(Prefix="p/"):
                print(obj.key)
            table = boto3.resource("dynamodb").Table("t")
            return table.item_count
        """
    )
    c = scan_source(src).contract
    assert c.operation("s3", "ListObjects").request == {"Prefix"}
    assert c.operation("dynamodb", "DescribeTable").response == {"Table", "Table.ItemCount"}


def test_kwargs_through_a_helper_and_an_outside_filter():
    src = textwrap.dedent(
        """
        import boto3
        from airflow.utils.helpers import prune_dict

        class Hook:
            def __init__(self):
                self.client = boto3.client("sqs")

            @staticmethod
            def _params(url, body, group=None):
                return prune_dict({"QueueUrl": url, "MessageBody": body, "MessageGroupId": group})

            def send(self, url, body):
                params = self._params(url, body)
                return self.client.send_message(**params)["MessageId"]
        """
    )
    result = scan_source(src, filename="hook.py")
    use = result.contract.operation("sqs", "SendMessage")
    assert use.request == {"QueueUrl", "MessageBody", "MessageGroupId"}
    assert use.response == {"MessageId"}
    # prune_dict may drop keys or add others: the members are recorded, and the ** still reported.
    assert "hook.py:15: SendMessage: **kwargs not followed" in result.notes
