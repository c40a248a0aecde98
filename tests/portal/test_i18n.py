import pytest


@pytest.mark.django_db
def test_the_admin_speaks_russian_from_the_committed_catalogue(client, superuser):
    client.force_login(superuser)

    response = client.get("/ru/admin/")

    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ru"
    content = response.content.decode()
    assert "Совместные заявления" in content
    assert "Планы действий" in content
