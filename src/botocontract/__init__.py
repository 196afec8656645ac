"""botocontract: the AWS service models shipped inside botocore, treated as contracts."""

__version__ = "0.1.0"
