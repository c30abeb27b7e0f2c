from motcua.dossiers.tests.conftest import archive_licence, citizen_data, desk, make_request  # noqa: F401
