"""The AWS CLI for the scripts' tests, its imports loaded once: the same CLI, a faster start.

Each `aws` call spends most of its time importing the CLI and botocore (about 0.4 s of the
0.6 s a call to moto takes here), and the suites make hundreds of calls. `serve SOCKET` imports
the CLI once and waits on a Unix socket; `call SOCKET ARGS...` (what the suites put on PATH as
`aws`) hands the server its arguments, environment, working folder and its stdin, stdout and
stderr, and the server forks a copy of itself that runs the CLI's own entry point
(awscli.clidriver.main) with them, as the `aws` executable would, and sends back the exit code.
Nothing of the CLI is replaced: the fork starts from the imported modules only, and builds its
session from the caller's environment as a fresh `aws` does.
"""
import os
import signal
import socket
import struct
import sys

MAX_MESSAGE = 1 << 20


def send_message(conn, payload, fds=()):
    data = struct.pack("!I", len(payload)) + payload
    if fds:
        socket.send_fds(conn, [data], list(fds))
    else:
        conn.sendall(data)


def receive_message(conn):
    data, fds, _, _ = socket.recv_fds(conn, MAX_MESSAGE + 4, 3)
    if len(data) < 4:
        raise ConnectionError("no message")
    size = struct.unpack("!I", data[:4])[0]
    data = data[4:]
    while len(data) < size:
        more = conn.recv(size - len(data))
        if not more:
            raise ConnectionError("message cut short")
        data += more
    return data, fds


def encode(strings):
    return b"\0".join(s.encode("utf-8", "surrogateescape") for s in strings)


def decode(data):
    return [s.decode("utf-8", "surrogateescape") for s in data.split(b"\0")] if data else []


def call(path, args):
    """The client: one CLI call through the server; exits with the CLI's exit code."""
    env = [f"{k}={v}" for k, v in os.environ.items()]
    header = encode([os.getcwd(), str(len(env))] + env + args)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(path)
        send_message(conn, header, (0, 1, 2))
        code = conn.recv(4)
    sys.exit(struct.unpack("!i", code)[0] if len(code) == 4 else 255)


def run_cli(conn):
    """In the forked copy: become the caller's `aws` process and run the CLI."""
    data, fds = receive_message(conn)
    fields = decode(data)
    cwd, count = fields[0], int(fields[1])
    env, args = fields[2:2 + count], fields[2 + count:]
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(kv.split("=", 1) for kv in env if "=" in kv)
    # What importing awscli does to the environment of a fresh `aws`: its data folder goes last
    # on AWS_DATA_PATH, after the caller's own.
    import awscli
    paths = [os.path.expanduser(os.path.expandvars(p))
             for p in os.environ.get("AWS_DATA_PATH", "").split(os.pathsep) if p]
    os.environ["AWS_DATA_PATH"] = os.pathsep.join(paths + [os.path.join(awscli.__path__[0], "data")])
    sys.argv = ["aws"] + args
    code = 255
    try:
        from awscli.clidriver import main
        code = main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        conn.sendall(struct.pack("!i", code or 0))
        os._exit(0)


def keep_what_every_call_reads():
    """botocore's data, read once for every call instead of once per call.

    Each `aws` call lists botocore's data folder (hundreds of services) and parses the JSON of the
    service it calls and of the endpoint rules. Both depend on nothing but those files: here they
    are kept in memory, keyed by the paths and their modification times, and warmed before the
    first call, so each forked call starts with them as its own copy-on-write memory. A call to a
    service not warmed here reads its files as usual.
    """
    from botocore.loaders import JSONFileLoader, Loader

    listed, parsed = {}, {}
    list_services, parse = Loader.list_available_services, JSONFileLoader.load_file

    def stamp(path):
        try:
            return os.stat(path).st_mtime_ns
        except OSError:
            return None

    def list_available_services(self, type_name):
        locations = tuple(self._potential_locations())
        key = (locations, tuple(stamp(p) for p in locations), type_name)
        if key not in listed:
            listed[key] = list_services(self, type_name)
        return list(listed[key])

    def load_file(self, file_path):
        key = tuple((p, stamp(p)) for p in (file_path + ".json", file_path + ".json.gz"))
        if key not in parsed:
            parsed[key] = parse(self, file_path)
        return parsed[key]

    Loader.list_available_services = list_available_services
    JSONFileLoader.load_file = load_file

    import botocore.session
    from botocore.exceptions import DataNotFoundError
    loader = botocore.session.Session().get_component("data_loader")
    loader.list_available_services("service-2")
    for name in ("endpoints", "partitions", "sdk-default-configuration", "_retry", "cli"):
        try:
            loader.load_data(name)
        except DataNotFoundError:
            pass
    # The services the workbook's scripts and their tests call.
    for service in ("cloudformation", "ec2", "iam", "lambda", "logs", "resourcegroupstaggingapi",
                    "s3", "sts", "xray"):
        for type_name in ("service-2", "endpoint-rule-set-1", "paginators-1", "waiters-2"):
            try:
                loader.load_service_model(service, type_name)
            except DataNotFoundError:
                pass


def serve(path):
    # The imports every call would otherwise make: the CLI, its plugins and what a client and a
    # waiter load. Importing them runs no command and reads no configuration.
    import awscli.clidriver  # noqa: F401
    import awscli.handlers  # noqa: F401
    import awscli.formatter  # noqa: F401
    import botocore.client  # noqa: F401
    import botocore.waiter  # noqa: F401
    import botocore.httpsession  # noqa: F401
    import botocore.parsers  # noqa: F401
    import botocore.serialize  # noqa: F401
    import botocore.auth  # noqa: F401
    import botocore.retries.standard  # noqa: F401

    keep_what_every_call_reads()
    # What is loaded now stays out of the forked calls' garbage collections, which would
    # otherwise walk (and so copy) every page of it in each call.
    import gc
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # forked calls are reaped by the kernel
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(path)
        server.listen(64)
        print("ready", flush=True)
        while True:
            conn, _ = server.accept()
            if os.fork() == 0:
                server.close()
                signal.signal(signal.SIGCHLD, signal.SIG_DFL)
                try:
                    run_cli(conn)
                finally:
                    os._exit(255)
            conn.close()


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "serve":
        serve(sys.argv[2])
    elif len(sys.argv) >= 3 and sys.argv[1] == "call":
        call(sys.argv[2], sys.argv[3:])
    else:
        sys.exit("usage: warm_cli.py serve SOCKET | call SOCKET [aws arguments]")
