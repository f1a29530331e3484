"""A small Python client for the patientqa gRPC API, the way a mobile app backend would use it.

Stubs are generated from proto/ at run time with grpc_tools (Debian: python3-grpc-tools), so the
client always matches the API it is given:

    client = PatientQAClient("127.0.0.1:50051", proto_dir="proto")
    response = client.ask("What is an MDT?")
    for passage in response.passages:
        print(passage.citation.title, passage.text)
"""

import importlib
import os
import sys
import tempfile

import grpc
from grpc_tools import protoc

PROTO = "patientqa/v1/patientqa.proto"


def generate_stubs(proto_dir, out_dir):
    """Compiles the API proto into Python modules in out_dir and returns (pb2, pb2_grpc)."""
    include = os.path.join(os.path.dirname(protoc.__file__), "_proto")
    args = ["protoc", f"-I{proto_dir}", f"-I{include}", f"--python_out={out_dir}",
            f"--grpc_python_out={out_dir}", os.path.join(proto_dir, PROTO)]
    if protoc.main(args) != 0:
        raise RuntimeError(f"protoc failed on {PROTO}")
    sys.path.insert(0, out_dir)
    pb2 = importlib.import_module("patientqa.v1.patientqa_pb2")
    pb2_grpc = importlib.import_module("patientqa.v1.patientqa_pb2_grpc")
    return pb2, pb2_grpc


class PatientQAClient:
    def __init__(self, target, proto_dir, timeout=10.0):
        self._tmp = tempfile.TemporaryDirectory()
        self.pb2, pb2_grpc = generate_stubs(proto_dir, self._tmp.name)
        self._channel = grpc.insecure_channel(target)
        self._stub = pb2_grpc.PatientQAStub(self._channel)
        self._timeout = timeout

    def ask(self, question, history=(), max_passages=0, topic=""):
        request = self.pb2.AskRequest(question=question, history=list(history),
                                      max_passages=max_passages, topic=topic)
        return self._stub.Ask(request, timeout=self._timeout)

    def get_article(self, article_id):
        return self._stub.GetArticle(self.pb2.GetArticleRequest(article_id=article_id),
                                     timeout=self._timeout)

    def list_articles(self, topic=""):
        return self._stub.ListArticles(self.pb2.ListArticlesRequest(topic=topic),
                                       timeout=self._timeout)

    def chat(self, questions):
        """Sends each question as one turn of a Chat stream; yields the ChatResponses."""
        requests = (self.pb2.ChatRequest(question=q) for q in questions)
        yield from self._stub.Chat(requests, timeout=self._timeout)

    def close(self):
        self._channel.close()
        self._tmp.cleanup()
