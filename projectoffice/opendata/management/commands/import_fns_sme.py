from projectoffice.opendata.management.commands._fns import FnsImportCommand


class Command(FnsImportCommand):
    help = "Импортирует реестр МСП из открытых данных ФНС (ZIP, XML или папки)"
    dataset = "sme"
