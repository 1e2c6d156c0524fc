from hckg_web import create_app

app = create_app()
