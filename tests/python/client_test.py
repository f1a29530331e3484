"""Exercises the Python client against the real server: proof that the proto serves other
languages (mobile apps). Usage: client_test.py SOURCE_DIR INDEX_BIN SERVER_BIN"""

import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

SOURCE_DIR, INDEX_BIN, SERVER_BIN = sys.argv[1:4]
sys.path.insert(0, os.path.join(SOURCE_DIR, "clients", "python"))

import grpc  # noqa: E402
from patientqa_client import PatientQAClient  # noqa: E402


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        index = os.path.join(cls.tmp.name, "index")
        subprocess.run([INDEX_BIN, "--corpus", os.path.join(SOURCE_DIR, "corpus"), "--out", index],
                       check=True, capture_output=True)
        port_file = os.path.join(cls.tmp.name, "port")
        cls.log = open(os.path.join(cls.tmp.name, "server.log"), "w")
        cls.server = subprocess.Popen(
            [SERVER_BIN, "--index", index, "--listen", "127.0.0.1:0", "--port_file", port_file,
             "--shutdown_grace_ms", "300"], stdout=cls.log, stderr=cls.log)
        deadline = time.time() + 30
        while not os.path.exists(port_file):
            if time.time() > deadline or cls.server.poll() is not None:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        port = int(open(port_file).read())
        cls.client = PatientQAClient(f"127.0.0.1:{port}", os.path.join(SOURCE_DIR, "proto"))
        grpc.channel_ready_future(cls.client._channel).result(timeout=10)

    @classmethod
    def tearDownClass(cls):
        cls.client.close()
        cls.server.send_signal(signal.SIGTERM)
        cls.server.wait(timeout=10)
        cls.log.close()
        cls.tmp.cleanup()

    def test_ask_returns_cited_passages(self):
        r = self.client.ask("What is an MDT?")
        self.assertTrue(r.answered)
        self.assertIn("[1]", r.answer)
        top = r.passages[0]
        self.assertEqual(top.citation.article_id, "what-is-an-mdt")
        self.assertTrue(top.citation.title and top.citation.publisher and top.citation.updated)
        self.assertTrue(r.index_version)

    def test_invalid_question_is_invalid_argument(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.ask("")
        self.assertEqual(caught.exception.code(), grpc.StatusCode.INVALID_ARGUMENT)
        self.assertIn("question must be 1..4000 characters", caught.exception.details())

    def test_articles(self):
        listed = self.client.list_articles(topic="mdt")
        self.assertGreaterEqual(len(listed.articles), 5)
        article = self.client.get_article("mondo-colorectal-metastasis-mdt")
        self.assertEqual(article.publisher, "Mondo Health")
        self.assertIn("[…]", article.body)

    def test_chat_follow_up_in_context(self):
        turns = list(self.client.chat(["My dad's bowel cancer has spread to his liver.",
                                       "can they operate?"]))
        self.assertEqual([t.turn for t in turns], [1, 2])
        self.assertIn("liver", turns[1].answer.passages[0].text.lower())


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
